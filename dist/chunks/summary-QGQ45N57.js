import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-BM7NCBDC.js";import"./chunk-RCWAPJXZ.js";import"./chunk-XZGBCLVY.js";import"./chunk-2C4SQSKF.js";import"./chunk-J4DFPA72.js";import"./chunk-3GMMHEFB.js";import"./chunk-XRLWKBJM.js";import"./chunk-UNXLBMIH.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
