import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-27KZZUIA.js";import"./chunk-PCXMDDHJ.js";import"./chunk-6UOGZKVR.js";import"./chunk-2C4SQSKF.js";import"./chunk-HXFT7VNI.js";import"./chunk-4VYQNOMC.js";import"./chunk-XRLWKBJM.js";import"./chunk-CT6Y5DER.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
