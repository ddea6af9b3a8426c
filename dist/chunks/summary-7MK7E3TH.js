import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-LXLTQM5E.js";import"./chunk-ZTZSZNDT.js";import"./chunk-YRUDRCZ2.js";import"./chunk-2C4SQSKF.js";import"./chunk-73VIAB6X.js";import"./chunk-BAJEUDYP.js";import"./chunk-XRLWKBJM.js";import"./chunk-V4PJWTSE.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
