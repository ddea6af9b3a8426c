import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-KIVDT3BD.js";import"./chunk-W44HWVIZ.js";import"./chunk-AS4UVI4L.js";import"./chunk-2C4SQSKF.js";import"./chunk-MGWPJRCV.js";import"./chunk-VCXOMMSY.js";import"./chunk-XRLWKBJM.js";import"./chunk-KYZCBHIC.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
