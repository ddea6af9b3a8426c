import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-BQBGB7NI.js";import"./chunk-UZAQE2E2.js";import"./chunk-UXDL447A.js";import"./chunk-2C4SQSKF.js";import"./chunk-X3GFX6YT.js";import"./chunk-3RXYBJR3.js";import"./chunk-RYOFU45H.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
