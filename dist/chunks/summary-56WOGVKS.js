import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-KGHMLJGF.js";import"./chunk-KMCMZSK3.js";import"./chunk-OHUI3LEH.js";import"./chunk-2C4SQSKF.js";import"./chunk-D7YK6DPQ.js";import"./chunk-HS3MSV5M.js";import"./chunk-XRLWKBJM.js";import"./chunk-62NMTY3J.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
