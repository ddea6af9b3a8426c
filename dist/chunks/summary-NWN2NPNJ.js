import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-6AD27WNR.js";import"./chunk-2VP2I2PK.js";import"./chunk-L3AKCYP6.js";import"./chunk-FM7N5NCH.js";import"./chunk-5WDCNWS2.js";import"./chunk-EOGS3LRJ.js";import"./chunk-5AAS7MJI.js";import"./chunk-N2522RTT.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
