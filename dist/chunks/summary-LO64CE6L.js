import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-KZS742JM.js";import"./chunk-WCF2X5EF.js";import"./chunk-DW6ZQ656.js";import"./chunk-2C4SQSKF.js";import"./chunk-EIR5GEKS.js";import"./chunk-QDWYZHWJ.js";import"./chunk-A4MSVHQW.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
