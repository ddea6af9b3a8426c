import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-44APR4SF.js";import"./chunk-JZNIS5WW.js";import"./chunk-YG754FLQ.js";import"./chunk-2C4SQSKF.js";import"./chunk-YFFQI2NY.js";import"./chunk-NQXJP44J.js";import"./chunk-XRLWKBJM.js";import"./chunk-T5NTAQKD.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
