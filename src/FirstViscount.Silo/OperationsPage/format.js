// How the operations page writes numbers and times.
const money = new Intl.NumberFormat("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = new Intl.NumberFormat("en");
const moment = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export const formatMoney = value => money.format(Number(value));
export const formatCount = value => count.format(Number(value));
export const formatMoment = value => moment.format(new Date(value));
export const formatShare = (part, whole) => (Number(whole) > 0 ? `${Math.round((Number(part) / Number(whole)) * 100)}%` : "–");
