import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{l as a,m as b,n as c,o as d}from"./chunk-NKZKPYDE.js";import"./chunk-5DDUWBL7.js";import"./chunk-EG6MWXL3.js";import"./chunk-E4N5Z7X6.js";import"./chunk-2NQMUUZW.js";import"./chunk-RAUK4FCW.js";import"./chunk-TLIJSXQG.js";import"./chunk-7MKXSD5K.js";import"./chunk-PBWMPYTZ.js";import"./chunk-OZJ4OJ24.js";export{a as STATUS_ICON,b as buildDeterministicPlan,d as checklistTable,c as renderPlan};
