import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-43MVVPGC.js";import"./chunk-US5357FG.js";import"./chunk-OC7WCNUD.js";import"./chunk-2C4SQSKF.js";import"./chunk-77VQVT4W.js";import"./chunk-UTXYBPX4.js";import"./chunk-XRLWKBJM.js";import"./chunk-ET6VU7HR.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
