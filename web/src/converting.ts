/**
 * A large Athena result is readable at once but prepared for sorting, filtering and charts in the
 * background; a view or chart asked for meanwhile may be answered 409 RESULT_CONVERTING with
 * `details.retryAfterSeconds`. Such a request is asked again after that wait, up to
 * {@link CONVERTING_RETRIES} times, as long as it is still the one the user wants.
 */

import { ApiError } from './api';

/** How many times a request is asked again while the server says the result is still being converted. */
export const CONVERTING_RETRIES = 12;

/**
 * The answer of {@code request}, asked again while the server says the result is being converted
 * and {@code current()} still holds; any other failure, or the last one, is thrown.
 */
export async function untilConverted<T>(request: () => Promise<T>, current: () => boolean): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await request();
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'RESULT_CONVERTING') || attempt >= CONVERTING_RETRIES || !current()) {
        throw e;
      }
      const seconds = Number(e.details.retryAfterSeconds);
      await new Promise((resolve) => setTimeout(resolve, 1000 * Math.min(30, seconds > 0 ? seconds : 5)));
      if (!current()) throw e;
    }
  }
}
