import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-3PX3OGLO.js";import"./chunk-LEHL6367.js";import"./chunk-5VQALU2B.js";import"./chunk-2C4SQSKF.js";import"./chunk-MIQQ5Z2G.js";import"./chunk-JJXA65KV.js";import"./chunk-ELTTL7MG.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
