// The heat map and its colour scale (visualMap): loaded only by the charts that draw one (charts.tsx, `parts`).
import { HeatmapChart } from 'echarts/charts';
import { VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';

echarts.use([HeatmapChart, VisualMapComponent]);
