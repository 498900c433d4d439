package io.sluice.result;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.nio.file.NoSuchFileException;

/**
 * The data and index objects of one published result in S3, as a {@link ResultFileReader} reads
 * them: the index is fetched once (on first use) and kept with the reader; each call reads the
 * data through its own {@link S3RangeSource}.
 */
final class S3ResultFiles implements ResultFileReader.Files {

    private final S3Client s3;
    private final String bucket;
    private final String dataKey;
    private final String indexKey;
    private final long dataBytes;
    private volatile byte[] index;

    S3ResultFiles(S3Client s3, String bucket, String dataKey, String indexKey, long dataBytes) {
        this.s3 = s3;
        this.bucket = bucket;
        this.dataKey = dataKey;
        this.indexKey = indexKey;
        this.dataBytes = dataBytes;
    }

    @Override
    public ResultFileReader.Access open() throws IOException {
        ByteSource indexSource = ByteSource.of(index());
        S3RangeSource data = new S3RangeSource(s3, bucket, dataKey, dataBytes);
        return new ResultFileReader.Access(data, indexSource, data::close);
    }

    private byte[] index() throws IOException {
        byte[] bytes = index;
        if (bytes == null) {
            try {
                bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(indexKey)).asByteArray();
            } catch (NoSuchKeyException e) {
                throw new NoSuchFileException("s3://" + bucket + "/" + indexKey, null,
                        "the result was replaced or deleted");
            } catch (SdkException e) {
                throw new IOException("reading s3://" + bucket + "/" + indexKey + " failed: " + e.getMessage(), e);
            }
            index = bytes;
        }
        return bytes;
    }
}
