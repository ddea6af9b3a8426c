import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-HLCDG762.js";import"./chunk-RZWHF7WV.js";import"./chunk-V6G6IM62.js";import"./chunk-2C4SQSKF.js";import"./chunk-PXUY6TMM.js";import"./chunk-TC6QVH6G.js";import"./chunk-XRLWKBJM.js";import"./chunk-VGQQ6NCO.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
