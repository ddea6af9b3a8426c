import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-YXO5HTOC.js";import"./chunk-7VVKGBI3.js";import"./chunk-GIPQ3B4X.js";import"./chunk-2C4SQSKF.js";import"./chunk-35YKQSH4.js";import"./chunk-S4ATO2KP.js";import"./chunk-XRLWKBJM.js";import"./chunk-2JY36JBS.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
