import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-IJ2X3U3O.js";import"./chunk-NDQUOCIX.js";import"./chunk-C4PS544D.js";import"./chunk-2C4SQSKF.js";import"./chunk-JQ35ORQZ.js";import"./chunk-DOIR52KT.js";import"./chunk-XRLWKBJM.js";import"./chunk-U5QW7KNQ.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
