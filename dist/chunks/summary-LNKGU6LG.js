import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-Y5H42IAJ.js";import"./chunk-VNGFDDHA.js";import"./chunk-Y54C6RVV.js";import"./chunk-2C4SQSKF.js";import"./chunk-3AS2KVHT.js";import"./chunk-FICV2AX7.js";import"./chunk-XRLWKBJM.js";import"./chunk-ESKJJ65R.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
