import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b}from"./chunk-65AAO7XC.js";import"./chunk-UAPOIPOT.js";import"./chunk-XKOKIWNE.js";import"./chunk-PUDIFS6E.js";import"./chunk-OZJ4OJ24.js";export{a as main,b as suggest};
