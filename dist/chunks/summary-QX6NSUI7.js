import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-QNHF4QUE.js";import"./chunk-MENFXXFV.js";import"./chunk-OQ4R4RK3.js";import"./chunk-2C4SQSKF.js";import"./chunk-YSIABF2O.js";import"./chunk-4AMOHTBA.js";import"./chunk-XRLWKBJM.js";import"./chunk-D22IWACE.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
