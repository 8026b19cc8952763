/** UI texts of the health pages (healthCases, issue 7): Chinese, and English of the same shape. */
export const healthCasesZh = {
  nav: {
    cases: '异常情况台账',
    contacts: '密接与传播链',
    quarantines: '隔离观察',
    transfers: '转运',
  },
};

export const healthCasesEn: typeof healthCasesZh = {
  nav: {
    cases: 'Abnormal cases',
    contacts: 'Contacts and chains',
    quarantines: 'Quarantines',
    transfers: 'Transfers',
  },
};
