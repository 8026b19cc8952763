import type { Indicator } from '../modules/indicators/indicators.schemas';

type Def = Pick<Indicator, 'code' | 'nameZh' | 'nameEn' | 'category' | 'uom' | 'precision' | 'direction' | 'aggregation'> &
  Partial<Pick<Indicator, 'formula' | 'scopeTag' | 'scopeText' | 'bandCentre' | 'bandTolerance' | 'rangeMin' | 'rangeMax' | 'description'>> & {
    /** Units that report it. */
    units: string[];
    /** Typical monthly value (per 30 days for sums) and how it moves. */
    base?: number;
    /** Relative noise, seasonal amplitude and yearly drift (positive = grows). */
    noise?: number;
    season?: number;
    drift?: number;
  };

const alumina = ['YH1', 'YH2', 'YH3'];

/**
 * The demo company's indicators (system.md, the newspaper's units and figures). Formula
 * indicators are computed from their inputs; `base`, `noise`, `season` and `drift` drive the
 * deterministic generator.
 */
export const demoIndicators: Def[] = [
  // 电解一厂: molten-aluminium quality, DC power per tonne, anode-effect coefficient
  { code: 'DJ_AL_OUT', nameZh: '原铝产量', nameEn: 'Primary aluminium output', category: 'production', uom: 't', precision: 0, direction: 'higher', aggregation: 'sum', units: ['DJ1'], base: 21_000, noise: 0.02, season: 0.01, drift: 0.015, rangeMin: 0, rangeMax: 40_000 },
  { code: 'DJ_DC_KWH', nameZh: '直流电量', nameEn: 'DC electricity', category: 'energy', uom: 'kWh', precision: 0, direction: 'lower', aggregation: 'sum', units: ['DJ1'], scopeTag: 'DC', base: 21_000 * 13_050, noise: 0.02, season: 0.01, drift: 0.01 },
  { code: 'DJ_DC_KWH_T', nameZh: '铝液直流电耗', nameEn: 'DC power per tonne of aluminium', category: 'energy', uom: 'kWh/t', precision: 0, direction: 'lower', aggregation: 'formula', formula: 'DJ_DC_KWH / DJ_AL_OUT', scopeTag: 'DC', scopeText: '直流电耗：整流后直流电量 ÷ 原铝产量', units: ['DJ1'] },
  { code: 'DJ_AC_KWH', nameZh: '交流电量', nameEn: 'AC electricity', category: 'energy', uom: 'kWh', precision: 0, direction: 'lower', aggregation: 'sum', units: ['DJ1'], scopeTag: 'AC', base: 21_000 * 13_480, noise: 0.02, season: 0.01, drift: 0.01 },
  { code: 'DJ_AC_KWH_T', nameZh: '铝液交流电耗', nameEn: 'AC power per tonne of aluminium', category: 'energy', uom: 'kWh/t', precision: 0, direction: 'lower', aggregation: 'formula', formula: 'DJ_AC_KWH / DJ_AL_OUT', scopeTag: 'AC', scopeText: '交流电耗：含整流损失（GB 21346 口径）', units: ['DJ1'] },
  { code: 'DJ_AE_COEF', nameZh: '阳极效应系数', nameEn: 'Anode-effect coefficient', category: 'quality', uom: '次/槽·日', precision: 3, direction: 'lower', aggregation: 'avg', units: ['DJ1'], base: 0.045, noise: 0.12, season: 0.05, drift: -0.08, rangeMin: 0, rangeMax: 1 },
  { code: 'DJ_AL9970_RATE', nameZh: '原铝液 Al99.70 以上品级率', nameEn: 'Molten aluminium Al99.70+ grade rate', category: 'quality', uom: '%', precision: 2, direction: 'higher', aggregation: 'avg', units: ['DJ1'], base: 96.5, noise: 0.006, season: 0.002, drift: 0.003, rangeMin: 0, rangeMax: 100 },
  { code: 'DJ_CURRENT_EFF', nameZh: '电流效率', nameEn: 'Current efficiency', category: 'production', uom: '%', precision: 2, direction: 'higher', aggregation: 'avg', units: ['DJ1'], base: 92.4, noise: 0.004, season: 0.002, drift: 0.002, rangeMin: 80, rangeMax: 100 },
  { code: 'DJ_BATH_TEMP', nameZh: '电解温度', nameEn: 'Bath temperature', category: 'quality', uom: '°C', precision: 1, direction: 'band', bandCentre: 955, bandTolerance: 8, aggregation: 'avg', units: ['DJ1'], base: 956, noise: 0.004, season: 0.002, drift: 0 },
  { code: 'DJ_COST_T', nameZh: '吨铝完全成本', nameEn: 'Full cost per tonne of aluminium', category: 'cost', uom: '元/t', precision: 0, direction: 'lower', aggregation: 'avg', units: ['DJ1'], base: 12_600, noise: 0.02, season: 0.01, drift: -0.01 },
  // 氧化铝厂: power, water, steam per tonne; digestion yield; finished ore; external sales
  { code: 'YH_AO_OUT', nameZh: '氧化铝产量', nameEn: 'Alumina output', category: 'production', uom: 't', precision: 0, direction: 'higher', aggregation: 'sum', units: alumina, base: 120_000, noise: 0.03, season: 0.02, drift: 0.02, rangeMin: 0 },
  { code: 'YH_ORE_OUT', nameZh: '成品矿产量', nameEn: 'Finished ore output', category: 'production', uom: 't', precision: 0, direction: 'higher', aggregation: 'sum', units: alumina, base: 118_000, noise: 0.04, season: 0.02, drift: 0.02 },
  { code: 'YH_EXT_SALES', nameZh: '氧化铝外销量', nameEn: 'External alumina sales', category: 'market', uom: 't', precision: 0, direction: 'higher', aggregation: 'sum', units: alumina, base: 58_000, noise: 0.06, season: 0.03, drift: 0.03 },
  { code: 'YH_POWER_KWH', nameZh: '用电量', nameEn: 'Electricity use', category: 'energy', uom: 'kWh', precision: 0, direction: 'lower', aggregation: 'sum', units: alumina, base: 120_000 * 255, noise: 0.03, season: 0.03, drift: 0.0 },
  { code: 'YH_POWER_KWH_T', nameZh: '吨氧化铝电耗', nameEn: 'Power per tonne of alumina', category: 'energy', uom: 'kWh/t', precision: 1, direction: 'lower', aggregation: 'formula', formula: 'YH_POWER_KWH / YH_AO_OUT', units: alumina },
  { code: 'YH_WATER_M3', nameZh: '新水用量', nameEn: 'Fresh water use', category: 'energy', uom: 'm³', precision: 0, direction: 'lower', aggregation: 'sum', units: alumina, base: 120_000 * 2.6, noise: 0.05, season: 0.08, drift: -0.02 },
  { code: 'YH_WATER_T', nameZh: '吨氧化铝新水单耗', nameEn: 'Fresh water per tonne of alumina', category: 'energy', uom: 'm³/t', precision: 2, direction: 'lower', aggregation: 'formula', formula: 'YH_WATER_M3 / YH_AO_OUT', units: alumina },
  { code: 'YH_STEAM_T', nameZh: '蒸汽用量', nameEn: 'Steam use', category: 'energy', uom: 't', precision: 0, direction: 'lower', aggregation: 'sum', units: alumina, base: 120_000 * 2.1, noise: 0.03, season: 0.06, drift: -0.01 },
  { code: 'YH_STEAM_T_T', nameZh: '吨氧化铝汽耗', nameEn: 'Steam per tonne of alumina', category: 'energy', uom: 't/t', precision: 2, direction: 'lower', aggregation: 'formula', formula: 'YH_STEAM_T / YH_AO_OUT', units: alumina },
  { code: 'YH_DIGEST_YIELD', nameZh: '溶出率', nameEn: 'Digestion yield', category: 'production', uom: '%', precision: 2, direction: 'higher', aggregation: 'avg', units: alumina, base: 86.5, noise: 0.006, season: 0.002, drift: 0.003, rangeMin: 50, rangeMax: 100 },
  { code: 'YH_PASS_RATE', nameZh: '工序指标合格率', nameEn: 'Process indicator pass rate', category: 'quality', uom: '%', precision: 1, direction: 'higher', aggregation: 'avg', units: ['YH1', 'YH1-BS'], base: 94, noise: 0.01, season: 0.005, drift: 0.006, rangeMin: 0, rangeMax: 100 },
  // 动力厂: compressed air and fresh water per tonne of aluminium, power, gas
  { code: 'DL_AL_SERVED', nameZh: '服务原铝产量', nameEn: 'Aluminium output served', category: 'production', uom: 't', precision: 0, direction: 'higher', aggregation: 'sum', units: ['DL'], base: 21_000, noise: 0.02, season: 0.01, drift: 0.015 },
  { code: 'DL_AIR_M3', nameZh: '压缩空气供应量', nameEn: 'Compressed air supplied', category: 'energy', uom: 'm³', precision: 0, direction: 'lower', aggregation: 'sum', units: ['DL'], base: 21_000 * 1_650, noise: 0.03, season: 0.03, drift: -0.01 },
  { code: 'DL_AIR_T', nameZh: '吨铝压缩空气单耗', nameEn: 'Compressed air per tonne of aluminium', category: 'energy', uom: 'm³/t', precision: 0, direction: 'lower', aggregation: 'formula', formula: 'DL_AIR_M3 / DL_AL_SERVED', units: ['DL'] },
  { code: 'DL_WATER_M3', nameZh: '新水供应量', nameEn: 'Fresh water supplied', category: 'energy', uom: 'm³', precision: 0, direction: 'lower', aggregation: 'sum', units: ['DL'], base: 21_000 * 3.2, noise: 0.05, season: 0.1, drift: -0.03 },
  { code: 'DL_WATER_T', nameZh: '吨铝新水单耗', nameEn: 'Fresh water per tonne of aluminium', category: 'energy', uom: 'm³/t', precision: 2, direction: 'lower', aggregation: 'formula', formula: 'DL_WATER_M3 / DL_AL_SERVED', units: ['DL'] },
  { code: 'DL_POWER_MWH', nameZh: '供电量', nameEn: 'Electricity supplied', category: 'production', uom: 'MWh', precision: 0, direction: 'higher', aggregation: 'sum', units: ['DL'], base: 290_000, noise: 0.02, season: 0.02, drift: 0.01 },
  { code: 'DL_GAS_M3', nameZh: '天然气用量', nameEn: 'Natural gas use', category: 'energy', uom: 'm³', precision: 0, direction: 'lower', aggregation: 'sum', units: ['DL'], base: 1_800_000, noise: 0.05, season: 0.25, drift: -0.02 },
  // 热电分厂
  { code: 'RD_POWER_GEN', nameZh: '发电量', nameEn: 'Power generated', category: 'production', uom: 'MWh', precision: 0, direction: 'higher', aggregation: 'sum', units: ['RD'], base: 160_000, noise: 0.03, season: 0.06, drift: 0.01 },
  { code: 'RD_COAL_G_KWH', nameZh: '供电标准煤耗', nameEn: 'Standard coal per kWh supplied', category: 'energy', uom: 'g/kWh', precision: 1, direction: 'lower', aggregation: 'avg', units: ['RD', 'RD-RH'], base: 318, noise: 0.008, season: 0.01, drift: -0.008 },
  // 精细氧化铝: hourly output, water per product, peptisation pass rate
  { code: 'JX_HOURLY_OUT', nameZh: '台时产量', nameEn: 'Output per machine-hour', category: 'production', uom: 't/h', precision: 2, direction: 'higher', aggregation: 'avg', units: ['JXYH'], base: 11.8, noise: 0.03, season: 0.01, drift: 0.03 },
  { code: 'JX_PRODUCT_T', nameZh: '精细氧化铝产量', nameEn: 'Fine alumina output', category: 'production', uom: 't', precision: 0, direction: 'higher', aggregation: 'sum', units: ['JXYH'], base: 8_200, noise: 0.04, season: 0.02, drift: 0.04 },
  { code: 'JX_WATER_M3', nameZh: '精细氧化铝新水用量', nameEn: 'Fine alumina fresh water use', category: 'energy', uom: 'm³', precision: 0, direction: 'lower', aggregation: 'sum', units: ['JXYH'], base: 8_200 * 4.4, noise: 0.05, season: 0.06, drift: -0.03 },
  { code: 'JX_WATER_T', nameZh: '吨产品新水单耗', nameEn: 'Fresh water per tonne of product', category: 'energy', uom: 'm³/t', precision: 2, direction: 'lower', aggregation: 'formula', formula: 'JX_WATER_M3 / JX_PRODUCT_T', units: ['JXYH'] },
  { code: 'JX_PEPT_PASS', nameZh: '胶溶合格率', nameEn: 'Peptisation pass rate', category: 'quality', uom: '%', precision: 1, direction: 'higher', aggregation: 'avg', units: ['JXYH'], base: 95.5, noise: 0.008, season: 0.003, drift: 0.004, rangeMin: 0, rangeMax: 100 },
  // 矿业公司, 石灰石矿
  { code: 'KY_ORE_SELF', nameZh: '自采矿量', nameEn: 'Self-mined ore', category: 'production', uom: 't', precision: 0, direction: 'higher', aggregation: 'sum', units: ['KY'], base: 260_000, noise: 0.06, season: 0.12, drift: 0.03 },
  { code: 'KY_ORE_AS', nameZh: '矿石铝硅比', nameEn: 'Ore alumina-silica ratio (A/S)', category: 'quality', uom: 'A/S', precision: 2, direction: 'higher', aggregation: 'avg', units: ['KY'], base: 5.6, noise: 0.02, season: 0.01, drift: -0.005 },
  { code: 'SHS_OUT', nameZh: '石灰石产量', nameEn: 'Limestone output', category: 'production', uom: 't', precision: 0, direction: 'higher', aggregation: 'sum', units: ['KY-SHS'], base: 95_000, noise: 0.05, season: 0.15, drift: 0.01 },
  // 炭素事业部: anode first-grade ≥ 60 %, second-grade-and-better 100 %, power −15 kWh/t
  { code: 'TS_ANODE_OUT', nameZh: '阳极产量', nameEn: 'Anode output', category: 'production', uom: 't', precision: 0, direction: 'higher', aggregation: 'sum', units: ['TS'], base: 11_500, noise: 0.03, season: 0.02, drift: 0.02 },
  { code: 'TS_FIRST_GRADE', nameZh: '阳极一级品率', nameEn: 'Anode first-grade rate', category: 'quality', uom: '%', precision: 1, direction: 'higher', aggregation: 'avg', units: ['TS'], base: 57, noise: 0.03, season: 0.01, drift: 0.02, rangeMin: 0, rangeMax: 100 },
  { code: 'TS_SECOND_UP', nameZh: '阳极二级及以上品率', nameEn: 'Anode second-grade-and-better rate', category: 'quality', uom: '%', precision: 1, direction: 'higher', aggregation: 'avg', units: ['TS'], base: 99.7, noise: 0.002, season: 0, drift: 0.0005, rangeMin: 0, rangeMax: 100 },
  { code: 'TS_POWER_KWH', nameZh: '阳极用电量', nameEn: 'Anode electricity use', category: 'energy', uom: 'kWh', precision: 0, direction: 'lower', aggregation: 'sum', units: ['TS'], base: 11_500 * 410, noise: 0.02, season: 0.02, drift: 0.0 },
  { code: 'TS_POWER_KWH_T', nameZh: '吨阳极电耗', nameEn: 'Power per tonne of anode', category: 'energy', uom: 'kWh/t', precision: 1, direction: 'lower', aggregation: 'formula', formula: 'TS_POWER_KWH / TS_ANODE_OUT', units: ['TS'] },
  // 物流运输事业部: rail volume, turnover, locomotive output (Feb 2020 records)
  { code: 'WL_RAIL_T', nameZh: '铁路运量', nameEn: 'Rail freight volume', category: 'production', uom: 't', precision: 0, direction: 'higher', aggregation: 'sum', units: ['WL'], base: 500_000, noise: 0.03, season: 0.03, drift: 0.02 },
  { code: 'WL_TURNOVER', nameZh: '铁路周转量', nameEn: 'Rail freight turnover', category: 'production', uom: 't·km', precision: 0, direction: 'higher', aggregation: 'sum', units: ['WL'], base: 6_300_000, noise: 0.03, season: 0.03, drift: 0.02 },
  { code: 'WL_LOCO_DAYS', nameZh: '机车台日', nameEn: 'Locomotive-days', category: 'production', uom: '台日', precision: 1, direction: 'lower', aggregation: 'sum', units: ['WL'], base: 930, noise: 0.02, season: 0.01, drift: 0 },
  { code: 'WL_LOCO_OUTPUT', nameZh: '机车台日产量', nameEn: 'Output per locomotive-day', category: 'production', uom: 't·km/台日', precision: 0, direction: 'higher', aggregation: 'formula', formula: 'WL_TURNOVER / WL_LOCO_DAYS', units: ['WL'] },
  // 营销管理部: purchase costs, aluminium-hydroxide sales, forecast accuracy ≥ 90 %
  { code: 'YX_COAL_PRICE', nameZh: '动力煤采购单价', nameEn: 'Thermal coal purchase price', category: 'cost', uom: '元/t', precision: 1, direction: 'lower', aggregation: 'avg', units: ['YX'], base: 520, noise: 0.03, season: 0.06, drift: 0.01 },
  { code: 'YX_ALKALI_PRICE', nameZh: '烧碱采购单价', nameEn: 'Caustic soda purchase price', category: 'cost', uom: '元/t', precision: 1, direction: 'lower', aggregation: 'avg', units: ['YX'], base: 2_650, noise: 0.04, season: 0.03, drift: 0.0 },
  { code: 'YX_AH_SALES', nameZh: '氢氧化铝销量', nameEn: 'Aluminium hydroxide sales', category: 'market', uom: 't', precision: 0, direction: 'higher', aggregation: 'sum', units: ['YX'], base: 36_000, noise: 0.07, season: 0.04, drift: 0.05 },
  { code: 'YX_FORECAST_ACC', nameZh: '市场预测准确率', nameEn: 'Market forecast accuracy', category: 'market', uom: '%', precision: 1, direction: 'higher', aggregation: 'avg', units: ['YX'], base: 88, noise: 0.025, season: 0.01, drift: 0.01, rangeMin: 0, rangeMax: 100 },
  // 建安公司: output and profit per head
  { code: 'JA_OUTPUT', nameZh: '产值', nameEn: 'Output value', category: 'finance', uom: '万元', precision: 1, direction: 'higher', aggregation: 'sum', units: ['JA'], base: 2_400, noise: 0.1, season: 0.35, drift: 0.04 },
  { code: 'JA_PROFIT', nameZh: '利润总额', nameEn: 'Total profit', category: 'finance', uom: '万元', precision: 1, direction: 'higher', aggregation: 'sum', units: ['JA'], base: 120, noise: 0.2, season: 0.4, drift: 0.05 },
  { code: 'JA_HEADCOUNT', nameZh: '在岗人数', nameEn: 'Headcount', category: 'people', uom: '人', precision: 0, direction: 'lower', aggregation: 'avg', units: ['JA'], base: 820, noise: 0.005, season: 0, drift: -0.03 },
  { code: 'JA_OUTPUT_PER_HEAD', nameZh: '人均产值', nameEn: 'Output per head', category: 'finance', uom: '万元/人', precision: 2, direction: 'higher', aggregation: 'formula', formula: 'JA_OUTPUT / JA_HEADCOUNT', units: ['JA'] },
  { code: 'JA_PROFIT_PER_HEAD', nameZh: '人均利润', nameEn: 'Profit per head', category: 'finance', uom: '万元/人', precision: 3, direction: 'higher', aggregation: 'formula', formula: 'JA_PROFIT / JA_HEADCOUNT', units: ['JA'] },
  // 人力资源部: management headcount −20 %
  { code: 'HR_MGMT_HEADCOUNT', nameZh: '管理人员数', nameEn: 'Management headcount', category: 'people', uom: '人', precision: 0, direction: 'lower', aggregation: 'last', units: ['RLZY'], base: 1_450, noise: 0.004, season: 0, drift: -0.06 },
  { code: 'HR_TOTAL_HEADCOUNT', nameZh: '在岗职工人数', nameEn: 'Employees on duty', category: 'people', uom: '人', precision: 0, direction: 'lower', aggregation: 'last', units: ['RLZY'], base: 16_800, noise: 0.002, season: 0, drift: -0.03 },
  { code: 'HR_MGMT_SHARE', nameZh: '管理人员占比', nameEn: 'Management share of employees', category: 'people', uom: '%', precision: 2, direction: 'lower', aggregation: 'formula', formula: 'HR_MGMT_HEADCOUNT / HR_TOTAL_HEADCOUNT * 100', units: ['RLZY'] },
  // 安全环保部
  { code: 'AQ_LOST_TIME', nameZh: '损工事故起数', nameEn: 'Lost-time incidents', category: 'safety', uom: '起', precision: 0, direction: 'lower', aggregation: 'sum', units: ['AQHB'], base: 0.6, noise: 0.9, season: 0, drift: -0.2 },
  { code: 'AQ_HAZARD_FIXED', nameZh: '隐患整改率', nameEn: 'Hazards fixed on time', category: 'safety', uom: '%', precision: 1, direction: 'higher', aggregation: 'avg', units: ['AQHB'], base: 96, noise: 0.01, season: 0, drift: 0.005, rangeMin: 0, rangeMax: 100 },
  { code: 'HB_SO2_T', nameZh: '二氧化硫排放量', nameEn: 'SO₂ emitted', category: 'environment', uom: 't', precision: 1, direction: 'lower', aggregation: 'sum', units: ['AQHB'], base: 85, noise: 0.06, season: 0.15, drift: -0.08 },
  { code: 'HB_DUST_T', nameZh: '颗粒物排放量', nameEn: 'Particulates emitted', category: 'environment', uom: 't', precision: 1, direction: 'lower', aggregation: 'sum', units: ['AQHB'], base: 21, noise: 0.08, season: 0.2, drift: -0.1 },
  // 装备制造部, 铝加工事业部, 生活服务中心
  { code: 'ZB_IDLE_DISPOSED', nameZh: '闲置资产处置率', nameEn: 'Idle assets disposed', category: 'finance', uom: '%', precision: 1, direction: 'higher', aggregation: 'last', units: ['ZBZZ'], base: 40, noise: 0.05, season: 0, drift: 0.25, rangeMin: 0, rangeMax: 100 },
  { code: 'LJ_OUTPUT', nameZh: '铝材产量', nameEn: 'Aluminium products output', category: 'production', uom: 't', precision: 0, direction: 'higher', aggregation: 'sum', units: ['LJG'], base: 6_500, noise: 0.05, season: 0.05, drift: 0.05 },
  { code: 'LJ_YIELD', nameZh: '铝材成品率', nameEn: 'Aluminium products yield', category: 'quality', uom: '%', precision: 1, direction: 'higher', aggregation: 'avg', units: ['LJG'], base: 78, noise: 0.01, season: 0.005, drift: 0.01, rangeMin: 0, rangeMax: 100 },
  { code: 'SH_SATISFACTION', nameZh: '服务满意度', nameEn: 'Service satisfaction', category: 'service', uom: '%', precision: 1, direction: 'higher', aggregation: 'avg', units: ['SHFW', 'HQFW'], base: 93, noise: 0.01, season: 0.005, drift: 0.004, rangeMin: 0, rangeMax: 100 },
];
