import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-27HMYTMK.js";import"./chunk-FC4L3GZK.js";import"./chunk-EOTKTXOL.js";import"./chunk-2C4SQSKF.js";import"./chunk-FQ53QLNU.js";import"./chunk-T3QSQIS7.js";import"./chunk-XRLWKBJM.js";import"./chunk-CT6Y5DER.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
