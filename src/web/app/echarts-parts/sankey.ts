// The Sankey diagram: loaded only by the charts that draw one (charts.tsx, `parts`).
import { SankeyChart } from 'echarts/charts';
import * as echarts from 'echarts/core';

echarts.use([SankeyChart]);
