/**
 * The dashboard's charts with Apache ECharts, only the parts they use (bar and line charts, grid,
 * tooltip, the SVG renderer) so the bundle stays small. Loaded lazily with the dashboard: the
 * editor never downloads it.
 */

import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';

use([BarChart, LineChart, GridComponent, TooltipComponent, SVGRenderer]);

type Option = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption>;

/** One series over categories (months or days). */
export interface ChartSpec {
  kind: 'bar' | 'line';
  /** The series' name in the tooltip. */
  name: string;
  categories: string[];
  values: number[];
  /** How a value reads (axis and tooltip): "$1.23", "4.5 GB". */
  format: (value: number) => string;
  /** Category labels as shown ("2026-11" → "Nov"). */
  label?: (category: string) => string;
  color?: string;
}

export interface ChartHandle {
  update(spec: ChartSpec): void;
  resize(): void;
  dispose(): void;
}

export type ChartFactory = (host: HTMLElement, spec: ChartSpec) => ChartHandle;

function option(spec: ChartSpec): Option {
  const color = spec.color ?? '#2563eb';
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value) => spec.format(Number(value)),
    },
    xAxis: {
      type: 'category',
      data: spec.categories,
      axisLabel: { formatter: (value: string) => (spec.label ? spec.label(value) : value) },
    },
    yAxis: {
      type: 'value',
      minInterval: 0,
      axisLabel: { formatter: (value: number) => spec.format(value) },
    },
    series: [spec.kind === 'bar'
      ? { type: 'bar', name: spec.name, data: spec.values, itemStyle: { color }, barMaxWidth: 28 }
      : { type: 'line', name: spec.name, data: spec.values, itemStyle: { color }, areaStyle: { opacity: 0.12 }, smooth: false }],
  };
}

/** An ECharts chart in `host` (SVG). */
export const echartsFactory: ChartFactory = (host, spec) => {
  const chart = init(host, undefined, { renderer: 'svg' });
  chart.setOption(option(spec));
  return {
    update: (next) => chart.setOption(option(next), { notMerge: true }),
    resize: () => chart.resize(),
    dispose: () => chart.dispose(),
  };
};
