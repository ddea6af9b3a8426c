import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-YSNG73ZB.js";import"./chunk-UXRQLKEW.js";import"./chunk-NFYNT6CR.js";import"./chunk-2C4SQSKF.js";import"./chunk-VQTDLAXU.js";import"./chunk-C2EXN3LM.js";import"./chunk-XRLWKBJM.js";import"./chunk-QKMD7ODD.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
