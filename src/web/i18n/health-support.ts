/** UI texts of the health pages (healthSupport, issue 7): Chinese, and English of the same shape. */
export const healthSupportZh = {
  nav: {
    briefing: '碰头会日报',
    supplies: '防疫物资',
    supplyPoints: '供应点',
    donations: '捐款与志愿者',
  },
};

export const healthSupportEn: typeof healthSupportZh = {
  nav: {
    briefing: 'Daily briefing',
    supplies: 'Supplies',
    supplyPoints: 'Supply points',
    donations: 'Donations and volunteers',
  },
};
