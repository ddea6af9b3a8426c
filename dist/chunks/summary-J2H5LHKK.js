import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-2ESCGVAD.js";import"./chunk-6PJROFGT.js";import"./chunk-WXHVUZGW.js";import"./chunk-2C4SQSKF.js";import"./chunk-FVV722UM.js";import"./chunk-ISPHVPYG.js";import"./chunk-XRLWKBJM.js";import"./chunk-63MG5FG7.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
