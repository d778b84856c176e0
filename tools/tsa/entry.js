// 抽取页核验 RFC 3161 时间戳令牌所需的 pkijs 部件，打包为一个文件，全局名 RosterPKI
// （由 tools/roster/site/assets/javascripts/tsa.js 在点击“核验”时才加载）。
export { Certificate, SignedData, TSTInfo, TimeStampResp } from "pkijs";
