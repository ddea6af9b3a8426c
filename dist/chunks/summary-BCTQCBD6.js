import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-M3PVPHCQ.js";import"./chunk-E4OULC6J.js";import"./chunk-6MDQVILD.js";import"./chunk-2C4SQSKF.js";import"./chunk-Z5VNKNW7.js";import"./chunk-IB64RN5T.js";import"./chunk-XRLWKBJM.js";import"./chunk-FCH52IWS.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
