import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-WU57NQI4.js";import"./chunk-PGQFP6ZN.js";import"./chunk-SCKHAVJQ.js";import"./chunk-2C4SQSKF.js";import"./chunk-FCI6OTQO.js";import"./chunk-6HIKZT4T.js";import"./chunk-XRLWKBJM.js";import"./chunk-6EOPUCGC.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
