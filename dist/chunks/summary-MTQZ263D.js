import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-XSMEKFW4.js";import"./chunk-NTZUTGSO.js";import"./chunk-UE7RDT37.js";import"./chunk-2C4SQSKF.js";import"./chunk-X3HOF46R.js";import"./chunk-T4XTXYAT.js";import"./chunk-RYOFU45H.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
