import type { Words } from '../shared/i18n';

type Key =
  | 'title'
  | 'language'
  | 'signIn'
  | 'signOut'
  | 'signedOut'
  | 'loading'
  | 'tabBook'
  | 'tabMine'
  | 'unit'
  | 'unitHint'
  | 'phone'
  | 'category'
  | 'description'
  | 'descriptionHint'
  | 'when'
  | 'urgent'
  | 'urgentHint'
  | 'regular'
  | 'regularHint'
  | 'slots'
  | 'book'
  | 'booking'
  | 'booked'
  | 'none'
  | 'arriveBy'
  | 'appointment'
  | 'technician'
  | 'eta'
  | 'quote'
  | 'labor'
  | 'parts'
  | 'covered'
  | 'fault'
  | 'cancel'
  | 'cancelConfirm'
  | 'cancelYes'
  | 'cancelNo'
  | 'cancelled'
  | 'rate'
  | 'rateHint'
  | 'score'
  | 'comment'
  | 'sendRating'
  | 'rated'
  | 'progress'
  | 'back'
  | 'network'
  | 'minutes'
  | 'tabComplaints'
  | 'complain'
  | 'complaintAbout'
  | 'complaintText'
  | 'complaintHint'
  | 'sendComplaint'
  | 'close'
  | 'noComplaints'
  | 'newComplaint'
  | 'newComplaintHint'
  | 'investigateBy'
  | 'callBackBy'
  | 'investigationResult'
  | 'answerBy'
  | 'aboutRepair'
  | 'complaintSent'
  | 'sending';

export const WORDS: Words<Key> = {
  'zh-CN': {
    title: '报修',
    language: 'English',
    signIn: '登录',
    signOut: '退出',
    signedOut: '请先登录后报修。',
    loading: '加载中…',
    tabBook: '我要报修',
    tabMine: '我的报修',
    unit: '房号',
    unitHint: '例如 B2-1203',
    phone: '联系电话',
    category: '故障类别',
    description: '问题描述',
    descriptionHint: '哪里坏了?什么时候开始的?',
    when: '上门时间',
    urgent: '紧急维修',
    urgentHint: '师傅 10 分钟内到达',
    regular: '预约时间',
    regularHint: '选择一个两小时的时段',
    slots: '可选时段',
    book: '提交报修',
    booking: '正在提交…',
    booked: '已收到您的报修',
    none: '您还没有报修记录。',
    arriveBy: '最晚到达',
    appointment: '预约时段',
    technician: '维修师傅',
    eta: '预计 {n} 分钟后到达',
    quote: '故障和价格',
    labor: '人工费',
    parts: '材料费',
    covered: '在保修范围内',
    fault: '故障',
    cancel: '取消报修',
    cancelConfirm: '确定要取消这次报修吗?',
    cancelYes: '确定取消',
    cancelNo: '不取消',
    cancelled: '已取消',
    rate: '评价这次维修',
    rateHint: '客服回访时会先看到您的评价。',
    score: '评分(1–5 星)',
    comment: '想说的话(可选)',
    sendRating: '提交评价',
    rated: '您的评价',
    progress: '进度',
    back: '返回列表',
    network: '网络连接中断,正在重试…',
    minutes: '分钟',
    tabComplaints: '我的投诉',
    complain: '投诉这次维修',
    complaintAbout: '投诉类型',
    complaintText: '投诉内容',
    complaintHint: '请告诉我们发生了什么',
    sendComplaint: '提交投诉',
    close: '收起',
    noComplaints: '您还没有投诉记录。',
    newComplaint: '投诉其他问题',
    newComplaintHint: '投诉某次维修,请在该报修的页面提交。',
    investigateBy: '我们会在 {at} 前调查处理。',
    callBackBy: '我们会在 {at} 前给您回电。',
    investigationResult: '处理结果',
    answerBy: '我们会在 {at} 前答复您的问题。',
    aboutRepair: '相关报修',
    complaintSent: '已收到您的投诉',
    sending: '正在提交…',
  },
  en: {
    title: 'Home repairs',
    language: '中文',
    signIn: 'Sign in',
    signOut: 'Sign out',
    signedOut: 'Please sign in to book a repair.',
    loading: 'Loading…',
    tabBook: 'Book a repair',
    tabMine: 'My repairs',
    unit: 'Unit',
    unitHint: 'For example B2-1203',
    phone: 'Contact phone',
    category: 'What is broken',
    description: 'Description',
    descriptionHint: 'What is wrong, and since when?',
    when: 'When',
    urgent: 'Urgent repair',
    urgentHint: 'A technician on site within 10 minutes',
    regular: 'Appointment',
    regularHint: 'Pick a two-hour window',
    slots: 'Free windows',
    book: 'Book the repair',
    booking: 'Booking…',
    booked: 'We have your request',
    none: 'You have no repairs yet.',
    arriveBy: 'On site by',
    appointment: 'Appointment',
    technician: 'Technician',
    eta: 'About {n} minutes away',
    quote: 'Fault and price',
    labor: 'Labour',
    parts: 'Parts',
    covered: 'Covered by the warranty',
    fault: 'Fault',
    cancel: 'Cancel the repair',
    cancelConfirm: 'Cancel this repair?',
    cancelYes: 'Yes, cancel it',
    cancelNo: 'Keep it',
    cancelled: 'Cancelled',
    rate: 'Rate this repair',
    rateHint: 'Our callback agent sees your rating first.',
    score: 'Score (1–5 stars)',
    comment: 'Anything to add (optional)',
    sendRating: 'Send the rating',
    rated: 'Your rating',
    progress: 'Progress',
    back: 'Back to the list',
    network: 'Connection lost, trying again…',
    minutes: 'minutes',
    tabComplaints: 'My complaints',
    complain: 'Complain about this repair',
    complaintAbout: 'What it is about',
    complaintText: 'What happened',
    complaintHint: 'Tell us what happened',
    sendComplaint: 'Send the complaint',
    close: 'Close',
    noComplaints: 'You have no complaints.',
    newComplaint: 'Complain about something else',
    newComplaintHint: 'To complain about a repair, use the button on that repair.',
    investigateBy: 'We look into it by {at}.',
    callBackBy: 'We call you back by {at}.',
    investigationResult: 'What we did',
    answerBy: 'We answer your question by {at}.',
    aboutRepair: 'About the repair',
    complaintSent: 'We have your complaint',
    sending: 'Sending…',
  },
};
