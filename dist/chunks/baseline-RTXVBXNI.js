import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{d as b,e as c,f as d,g as e}from"./chunk-YVJT7UE4.js";import"./chunk-XKOKIWNE.js";import"./chunk-PUDIFS6E.js";import{c as a}from"./chunk-H2MIXKNL.js";import"./chunk-O7EXZCJE.js";import"./chunk-7JEORZUB.js";import"./chunk-TLIJSXQG.js";import"./chunk-7MKXSD5K.js";import"./chunk-OZJ4OJ24.js";export{a as BASELINE_PATH,d as buildBaseline,b as fingerprintOf,c as linesByPath,e as parseBaseline};
