import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-WI3IH2FT.js";import"./chunk-F2L5ZFVQ.js";import"./chunk-4RI3HRRJ.js";import"./chunk-2C4SQSKF.js";import"./chunk-3LI7RLM5.js";import"./chunk-2Q5UVDSF.js";import"./chunk-K4FGDFDQ.js";import"./chunk-LJ5UA4ZF.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
