import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-27WHQJDS.js";import"./chunk-JGEQM5FR.js";import"./chunk-H3DMPYM4.js";import"./chunk-2C4SQSKF.js";import"./chunk-DGIXBJF4.js";import"./chunk-G5W3IH7F.js";import"./chunk-XRLWKBJM.js";import"./chunk-RWN4FJBZ.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
