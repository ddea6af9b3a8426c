import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-TR5WWV2H.js";import"./chunk-MGOTT6KY.js";import"./chunk-UVZLUQ3N.js";import"./chunk-2C4SQSKF.js";import"./chunk-TG7SK3ZR.js";import"./chunk-K26V7ALI.js";import"./chunk-XRLWKBJM.js";import"./chunk-UNXLBMIH.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
