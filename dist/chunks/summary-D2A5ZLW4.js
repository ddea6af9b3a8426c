import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-VDXSSAH2.js";import"./chunk-SPXWD6C2.js";import"./chunk-N5RBHG3R.js";import"./chunk-2C4SQSKF.js";import"./chunk-54JCLP4W.js";import"./chunk-JCJ3OQ5T.js";import"./chunk-6R5S5LYW.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
