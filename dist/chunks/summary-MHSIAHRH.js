import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-OYZLQTZX.js";import"./chunk-65GFWRMC.js";import"./chunk-KR4CB6AR.js";import"./chunk-2C4SQSKF.js";import"./chunk-DF46UJXQ.js";import"./chunk-U2GG2GCK.js";import"./chunk-AU7TF4JB.js";import"./chunk-7LOFL7D3.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
