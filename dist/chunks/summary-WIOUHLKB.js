import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-MNR2GKKW.js";import"./chunk-UOXSVXWY.js";import"./chunk-6YEVFC4S.js";import"./chunk-FM7N5NCH.js";import"./chunk-SZXNKAHW.js";import"./chunk-P7VHYOY2.js";import"./chunk-5AAS7MJI.js";import"./chunk-URMOVIS6.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
