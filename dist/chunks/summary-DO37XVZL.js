import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-KK5J47GX.js";import"./chunk-A4QMTA5F.js";import"./chunk-II2QNVT2.js";import"./chunk-2C4SQSKF.js";import"./chunk-PCCSJBOW.js";import"./chunk-FZNU5M53.js";import"./chunk-OVMO4ZWV.js";import"./chunk-5A2R7OZA.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
