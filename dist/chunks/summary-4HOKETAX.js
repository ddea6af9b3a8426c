import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-TR5NTXDH.js";import"./chunk-NAK2D72V.js";import"./chunk-VE5TRS4W.js";import"./chunk-FM7N5NCH.js";import"./chunk-RQFTOOVI.js";import"./chunk-K6E6HIB5.js";import"./chunk-5AAS7MJI.js";import"./chunk-URMOVIS6.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
