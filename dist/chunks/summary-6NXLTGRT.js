import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-LNXPF6L7.js";import"./chunk-HORFZZBG.js";import"./chunk-DCQFZX3X.js";import"./chunk-2C4SQSKF.js";import"./chunk-EX2JXDPR.js";import"./chunk-MIJD3NPI.js";import"./chunk-DZMFUIAI.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
