import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-PHV7JS7W.js";import"./chunk-LTX5UPHW.js";import"./chunk-OICHMPFH.js";import"./chunk-2C4SQSKF.js";import"./chunk-PGNTM3TW.js";import"./chunk-KFUSSJPX.js";import"./chunk-CCKPGANL.js";import"./chunk-5VDAAKIU.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
