import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-JM6NRCTD.js";import"./chunk-4ERDEEHB.js";import"./chunk-MMTLD7O3.js";import"./chunk-2C4SQSKF.js";import"./chunk-2GILGD6H.js";import"./chunk-FEBAJCOZ.js";import"./chunk-6R5S5LYW.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
