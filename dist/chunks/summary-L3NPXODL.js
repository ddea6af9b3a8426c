import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-Y2OIOIMD.js";import"./chunk-J73YYNGE.js";import"./chunk-BCMGQG7Q.js";import"./chunk-2C4SQSKF.js";import"./chunk-VUB3CPHG.js";import"./chunk-PSGAFPH6.js";import"./chunk-LUIATLWK.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
