import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-NSIBV4LX.js";import"./chunk-AE7BSMP4.js";import"./chunk-YGD3TDEZ.js";import"./chunk-2C4SQSKF.js";import"./chunk-SIR7C2XW.js";import"./chunk-DLAZXGLI.js";import"./chunk-XRLWKBJM.js";import"./chunk-BUUDDHDI.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
