import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-PKHUI6HX.js";import"./chunk-SRDNDDAQ.js";import"./chunk-7X2CRCO5.js";import"./chunk-2C4SQSKF.js";import"./chunk-LK5NQNWX.js";import"./chunk-QP3NVHLL.js";import"./chunk-XRLWKBJM.js";import"./chunk-UNXLBMIH.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
