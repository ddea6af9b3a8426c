import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-4VTLJT3T.js";import"./chunk-ZGTIFXWC.js";import"./chunk-QOFT6Q4U.js";import"./chunk-2C4SQSKF.js";import"./chunk-CPYODEB4.js";import"./chunk-HMELQ44V.js";import"./chunk-CCKPGANL.js";import"./chunk-5VDAAKIU.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
