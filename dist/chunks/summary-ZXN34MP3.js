import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-BUUETSP4.js";import"./chunk-XTRWX2I4.js";import"./chunk-7GGWL5VE.js";import"./chunk-2C4SQSKF.js";import"./chunk-4OZXVS2U.js";import"./chunk-BE6HUMTS.js";import"./chunk-XRLWKBJM.js";import"./chunk-JRCNFZYC.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
