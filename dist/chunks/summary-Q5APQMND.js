import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-BYCLXPRH.js";import"./chunk-CEZ33KTK.js";import"./chunk-OKBQLFSO.js";import"./chunk-2C4SQSKF.js";import"./chunk-7XMWIIFT.js";import"./chunk-GA67SVBZ.js";import"./chunk-XRLWKBJM.js";import"./chunk-WZVKXLMX.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
