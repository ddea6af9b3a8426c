import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-TYKUWWFA.js";import"./chunk-AS37KY7L.js";import"./chunk-EMG625DL.js";import"./chunk-2C4SQSKF.js";import"./chunk-HBAZNTV2.js";import"./chunk-3BWU55QX.js";import"./chunk-XRLWKBJM.js";import"./chunk-CZ72XGYV.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
