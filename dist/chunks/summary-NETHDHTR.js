import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-DCUVFD3Q.js";import"./chunk-OXW2J2GM.js";import"./chunk-AFY3ALQP.js";import"./chunk-FM7N5NCH.js";import"./chunk-NHKYK65S.js";import"./chunk-OSWHNAGE.js";import"./chunk-5AAS7MJI.js";import"./chunk-URMOVIS6.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
