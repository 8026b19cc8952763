/** UI texts of the health pages (healthCare, issue 7): Chinese, and English of the same shape. */
export const healthCareZh = {
  nav: {
    group: '疫情防控',
    card: '我的健康卡',
    declarations: '健康卡填报',
    travel: '返岗审核',
    riskAreas: '风险地区',
    rules: '健康状态规则',
    contests: '状态申诉',
    incidents: '应急事件',
  },
};

export const healthCareEn: typeof healthCareZh = {
  nav: {
    group: 'Health',
    card: 'My health card',
    declarations: 'Declarations',
    travel: 'Returning staff',
    riskAreas: 'Risk areas',
    rules: 'Status rules',
    contests: 'Status contests',
    incidents: 'Incidents',
  },
};
