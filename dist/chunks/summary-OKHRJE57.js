import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-KV6UUKVZ.js";import"./chunk-7PWEODJF.js";import"./chunk-A3SKM5M7.js";import"./chunk-2C4SQSKF.js";import"./chunk-I3QLXXX7.js";import"./chunk-N5I75C2J.js";import"./chunk-XRLWKBJM.js";import"./chunk-6EOPUCGC.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
